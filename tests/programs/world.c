/* Says what its run line gave it: each argument, the variable DEET_WORLD, its working
   directory; then copies its standard input to its standard output and writes a line to
   its standard error. For comparing deet's run with gdb's run through the shell. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
    char cwd[4096];
    for (int i = 1; i < argc; i++) {
        printf("arg %d [%s]\n", i, argv[i]);
    }
    const char *world = getenv("DEET_WORLD");
    printf("DEET_WORLD %s\n", world ? world : "(unset)");
    printf("cwd %s\n", getcwd(cwd, sizeof cwd));
    int c;
    while ((c = getchar()) != EOF) {
        putchar(c);
    }
    fprintf(stderr, "to stderr\n");
    return 0;
}
