/* A program that crashes, for core files: "main" dereferences a null pointer three calls
 * down from main, with a struct, an array, a string and a pointer in its frames; "thread"
 * does it in the second of two extra threads while the others wait (once the first has
 * started: a thread caught still inside clone3 unwinds differently in gdb); "abort" fails an
 * assert (a crash inside libc, under raise and abort). */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct point {
    int x;
    double y;
    const char *label;
};

static int never[2];
static volatile int started;
int calls;
struct point origin = {0, 0.5, "origin"};

int store(int *where, int value)
{
    calls++;
    *where = value;
    return value;
}

int walk(struct point p, int depth)
{
    int squares[4] = {0, 1, 4, 9};
    char name[8] = "walker";
    int *nowhere = NULL;
    if (depth > 0) {
        return walk(p, depth - 1) + squares[depth % 4];
    }
    return store(nowhere, p.x + (int)strlen(name));
}

void *worker(void *arg)
{
    long id = (long)arg;
    char byte;
    if (id == 1) {
        while (!started) {
            usleep(1000);
        }
        struct point p = {7, 2.25, "worker"};
        walk(p, 1);
    }
    started = 1;
    read(never[0], &byte, 1);
    return NULL;
}

int main(int argc, char *argv[])
{
    const char *mode = argc > 1 ? argv[1] : "main";
    pipe(never);
    if (strcmp(mode, "thread") == 0) {
        pthread_t threads[2];
        for (long i = 0; i < 2; i++) {
            pthread_create(&threads[i], NULL, worker, (void *)i);
        }
        pthread_join(threads[0], NULL);
    } else if (strcmp(mode, "abort") == 0) {
        assert(calls == 42);
    }
    struct point p = {3, 1.5, "main"};
    return walk(p, 2);
}
