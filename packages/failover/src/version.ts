/** This package's version; a test keeps it equal to package.json. */
export const failoverVersion = '0.1.0';
