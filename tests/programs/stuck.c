/* Ways a program never ends, chosen by argv[1], for the --timeout tests:
 *   vfork  a vfork child that never execs (its parent cannot stop meanwhile)
 *   naps   for (;;) usleep(1000): one line, thousands of resumes for a `next`
 *   spin   a function that never returns (finish, stepi N, nexti N)
 *   pause  a system call that blocks a single step for ever
 *   join   pthread_join on a thread that naps for a second (a single step of the main
 *          thread ends only if the other thread runs) */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void naps(void)
{
    for (;;) usleep(1000);
}

static void *napper(void *arg)
{
    usleep(1000000);
    return arg;
}

int main(int argc, char *argv[])
{
    const char *mode = argc > 1 ? argv[1] : "naps";
    if (strcmp(mode, "vfork") == 0) {
        if (vfork() == 0) {
            naps();
        }
    } else if (strcmp(mode, "pause") == 0) {
        pause();
    } else if (strcmp(mode, "join") == 0) {
        pthread_t thread;
        pthread_create(&thread, NULL, napper, NULL);
        pthread_join(thread, NULL);
        puts("joined");
    } else {
        naps();
    }
    return 0;
}
