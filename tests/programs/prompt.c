/* A small program without output for the prompt's commands (repetition, until, advance,
   jump, return, info frame, ...): nothing it prints can interleave with the debugger's. */
#include <stdlib.h>

struct point {
    int x;
    int y;
};

int counter;
static int hidden = 3;
struct point origin = {1, 2};

int square(int n) {
    int result = n * n;
    return result;
}

int sum_to(int limit) {
    int total = 0;
    for (int i = 0; i < limit; i++) {
        total += square(i);
    }
    return total;
}

int main(int argc, char **argv) {
    int limit = argc > 1 ? atoi(argv[1]) : 4;
    int value = sum_to(limit);
    counter = value + hidden;
    value = square(counter) + origin.x;
    return value % 7;
}
