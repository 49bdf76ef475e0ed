/** The Pyodide release this package is built and tested against (the browser's default download). */
export const pyodideVersion = '314.0.7';
