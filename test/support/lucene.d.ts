// The npm package `lucene` (a PEG Lucene query parser, used in tests only) ships no types.
declare module 'lucene' {
  const lucene: { parse(query: string): unknown };
  export default lucene;
}
