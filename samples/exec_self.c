/* Replaces itself with another program (argv[1], with the rest as its arguments). */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PROGRAM [ARG...]\n", argv[0]);
        return 2;
    }
    printf("about to exec %s\n", argv[1]);
    fflush(stdout);
    execv(argv[1], argv + 1);
    perror("execv");
    return 127;
}
