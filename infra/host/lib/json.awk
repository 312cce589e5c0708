# JSON helpers for the status programs. Portable awk (gawk, mawk, busybox): no gsub replacement
# strings, whose backslash rules differ between implementations.

function json_str(s,    out, i, n, c) {
  if (s ~ /^[A-Za-z0-9 _.:\/@+-]*$/) return "\"" s "\""
  out = ""
  n = length(s)
  for (i = 1; i <= n; i++) {
    c = substr(s, i, 1)
    if (c == "\\") out = out "\\\\"
    else if (c == "\"") out = out "\\\""
    else if (c == "\t") out = out "\\t"
    else if (c < " ") out = out ""
    else out = out c
  }
  return "\"" out "\""
}

function json_str_or_null(s) {
  return s == "" ? "null" : json_str(s)
}

function json_num_or_null(s) {
  return s ~ /^[0-9]+$/ ? s : "null"
}
