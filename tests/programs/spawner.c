/* Starts a child that would sleep for an hour and a grandchild that would too, says their
   pids, then spins: for checking that the end of a batch takes the whole tree with it. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    pid_t child = fork();
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            sleep(3600);
            return 0;
        }
        printf("grandchild %d\n", grandchild);
        fflush(stdout);
        sleep(3600);
        return 0;
    }
    printf("child %d\n", child);
    fflush(stdout);
    volatile unsigned long n = 0;
    for (;;) {
        n++;
    }
}
