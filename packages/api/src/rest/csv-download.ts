/** What a CSV procedure returns (`meta.csv`): the file's name and its lines, produced as they are read. */
export interface CsvDownload {
  filename: string;
  lines: AsyncIterable<string>;
}
