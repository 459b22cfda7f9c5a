/* A threaded program that execs argv[1]: from the main thread, or (with a second
 * argument) from another thread, while a third thread sleeps. The kernel ends every other
 * thread and gives the exec'ing one the process's id. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static char **args;

void *sleeper(void *arg)
{
    sleep(100);
    return NULL;
}

void *execer(void *arg)
{
    execv(args[1], args + 1);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t sleeping, execing;
    args = argv;
    pthread_create(&sleeping, NULL, sleeper, NULL);
    usleep(10000);
    if (argc > 2) {
        pthread_create(&execing, NULL, execer, NULL);
        pthread_join(execing, NULL);
    } else {
        execv(argv[1], argv + 1);
    }
    return 1;
}
