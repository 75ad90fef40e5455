// Types of the parts of the untyped `quadprog` package (R's quadprog ported to JavaScript) used
// by the solver adapter. Arrays are 1-based: index 0 is unused.
declare module 'quadprog' {
  interface QuadprogResult {
    readonly solution?: ArrayLike<number>;
    readonly Lagrangian?: ArrayLike<number>;
    readonly value?: ArrayLike<number>;
    readonly iterations?: ArrayLike<number>;
    readonly message: string;
  }
  const quadprog: {
    solveQP(
      Dmat: ArrayLike<ArrayLike<number>>,
      dvec: ArrayLike<number>,
      Amat: ArrayLike<ArrayLike<number>>,
      bvec: ArrayLike<number>,
      meq?: number,
    ): QuadprogResult;
  };
  export default quadprog;
}
