/** This package's version; a test keeps it equal to package.json. */
export const pchookVersion = '0.1.0';
