// The baseline for start-up figures: the smallest compiled Bun program.
console.log("hello");
