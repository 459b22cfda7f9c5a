/* Three threads that spin until told to stop, and a main thread that waits for them:
 * something to interrupt with Ctrl-C. */
#include <pthread.h>
#include <stdio.h>

static volatile int stop;
static volatile unsigned long spins[3];

void *spin(void *arg)
{
    long id = (long)arg;
    while (!stop) {
        spins[id]++;
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[3];
    for (long i = 0; i < 3; i++) {
        pthread_create(&threads[i], NULL, spin, (void *)i);
    }
    printf("spinning\n");
    fflush(stdout);
    for (int i = 0; i < 3; i++) {
        pthread_join(threads[i], NULL);
    }
    return 0;
}
