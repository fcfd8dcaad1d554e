// opencc-js ships its dictionaries as ES modules exporting one string ("trad simp|trad simp|..."),
// reachable through its "./*" export but without type declarations.
declare module 'opencc-js/dict/*' {
  const dict: string;
  export default dict;
}
