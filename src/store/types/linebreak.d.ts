/** The Unicode line breaking algorithm (UAX #14), as the `linebreak` package has it. */
declare module 'linebreak' {
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): { position: number; required: boolean } | null;
  }
}
