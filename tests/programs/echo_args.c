/* Prints its arguments, one a line, and exits with the status its first argument names
   (0 without one): for checking what reaches the program and what comes back. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char *argv[]) {
    for (int i = 1; i < argc; i++) {
        printf("%s\n", argv[i]);
    }
    return argc > 1 ? atoi(argv[1]) : 0;
}
