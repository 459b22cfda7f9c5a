/* Several threads run the same worker and call tick() many times: a breakpoint on tick
 * is hit by every thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long total;
static int rounds = 3;

void tick(long id)
{
    pthread_mutex_lock(&lock);
    total += id + 1;
    pthread_mutex_unlock(&lock);
}

void *worker(void *arg)
{
    long id = (long)arg;
    for (int i = 0; i < rounds; i++) {
        tick(id);
    }
    return NULL;
}

int main(int argc, char *argv[])
{
    pthread_t threads[THREADS];
    if (argc > 1) {
        rounds = atoi(argv[1]);
    }
    for (long i = 0; i < THREADS; i++) {
        pthread_create(&threads[i], NULL, worker, (void *)i);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
    }
    printf("total %ld\n", total);
    return 0;
}
