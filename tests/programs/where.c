/* Prints where it runs and what it was given: for checking a transcript's working
   directory and arguments. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
    char cwd[4096];
    printf("cwd %s\n", getcwd(cwd, sizeof cwd));
    for (int i = 1; i < argc; i++) {
        printf("arg %s\n", argv[i]);
    }
    return 0;
}
