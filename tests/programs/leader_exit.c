/* The main thread ends with pthread_exit while a worker goes on: the process lives on
 * with its main thread gone, which the kernel reports only when the last thread ends. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

void tick(int i)
{
}

void *worker(void *arg)
{
    usleep(100000); /* the main thread is gone by the first tick */
    for (int i = 0; i < 5; i++) {
        tick(i);
        usleep(1000);
    }
    printf("worker done\n");
    return NULL;
}

int main(void)
{
    pthread_t thread;
    pthread_create(&thread, NULL, worker, NULL);
    pthread_exit(NULL);
}
