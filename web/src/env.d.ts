// Vite turns CSS imports into <link rel="stylesheet"> in the built index.html.
declare module '*.css';
