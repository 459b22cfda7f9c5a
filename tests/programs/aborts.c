/* An assertion that fails: abort() raises SIGABRT through glibc's raise, whose
 * __pthread_kill makes a tail call that leaves no frame on the stack. */
#include <assert.h>
#include <stdio.h>

int check(int x)
{
    assert(x > 0);
    return x;
}

int main(void)
{
    printf("%d\n", check(-1));
    return 0;
}
