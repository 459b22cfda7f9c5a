/* A program to attach to: it says "ready PID" and then, with "park", waits in read()
 * for ever (a stack that stays put while two debuggers look at it in turn), or, with
 * "loop", calls tick() every few milliseconds. Its THREADS extra threads park in read()
 * on a pipe nobody writes. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define THREADS 2

static int never[2];
long ticks;

long park(int fd)
{
    char byte;
    return read(fd, &byte, 1);
}

void *worker(void *arg)
{
    long id = (long)arg;
    return (void *)(park(never[0]) + id);
}

long tick(long step)
{
    ticks += step;
    usleep(2000);
    return ticks;
}

int main(int argc, char *argv[])
{
    pthread_t threads[THREADS];
    pipe(never);
    for (long i = 0; i < THREADS; i++) {
        pthread_create(&threads[i], NULL, worker, (void *)i);
    }
    printf("ready %d\n", (int)getpid());
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "loop") == 0) {
        for (;;) {
            tick(1);
        }
    }
    return (int)park(never[0]);
}
