# Turns "<RFC 3339 time> <text>" lines (docker logs --timestamps, or the process runtime's log file)
# into the logs script's JSON: the last `tail` lines after `since`, each cut to 4,000 bytes, terminal
# escape sequences removed (the portal shows text, never markup or colours). Needs json.awk.
# Variables: tail, since (normalised like the times below, or empty), runtime, username.

# Docker trims trailing zeros from the fraction (RFC3339Nano): pad it to nine digits so that two times
# compare as strings.
function normalise_time(t,    frac) {
  if (t !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/) return ""
  sub(/Z$/, "", t)
  if (index(t, ".") == 0) t = t "."
  frac = substr(t, index(t, ".") + 1)
  while (length(frac) < 9) frac = frac "0"
  return substr(t, 1, index(t, ".")) substr(frac, 1, 9) "Z"
}

BEGIN { n = 0; wanted = since == "" ? "" : normalise_time(since) }

{
  sep = index($0, " ")
  if (sep == 0) { at = normalise_time($0); text = "" } else { at = normalise_time(substr($0, 1, sep - 1)); text = substr($0, sep + 1) }
  if (at == "") next
  if (wanted != "" && at <= wanted) next
  gsub(/\033\[[0-9;?]*[A-Za-z]/, "", text)
  sub(/\r$/, "", text)
  if (length(text) > 4000) text = substr(text, 1, 4000)
  ring_at[n % tail] = at
  ring_text[n % tail] = text
  n++
}

END {
  first = n > tail ? n - tail : 0
  printf "{\"ok\":true,\"username\":%s,\"runtime\":%s,\"lines\":[", json_str(username), json_str(runtime)
  for (i = first; i < n; i++) {
    printf "%s{\"at\":%s,\"text\":%s}", (i > first ? "," : ""), json_str(ring_at[i % tail]), json_str(ring_text[i % tail])
  }
  printf "]}\n"
}
