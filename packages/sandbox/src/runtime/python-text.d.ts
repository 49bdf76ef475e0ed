/** A `.py` file imported as its text (see python-harness.ts). */
declare module '*.py?raw' {
  const text: string;
  export default text;
}
