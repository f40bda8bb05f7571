// jstat ships no types; only what peakline uses is declared. It is a CommonJS module: import its default.
declare module 'jstat' {
  const jstat: {
    readonly jStat: {
      readonly studentt: { inv(p: number, dof: number): number };
      readonly normal: { inv(p: number, mean: number, std: number): number };
    };
  };
  export default jstat;
}
