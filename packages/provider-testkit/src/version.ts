/** This package's version; a test keeps it equal to package.json. */
export const testkitVersion = '0.1.0';
