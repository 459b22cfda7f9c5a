#include <stdio.h>
struct pair { int a, b; };
static inline __attribute__((always_inline)) int twice(int x)
{
    int doubled = x * 2;
    return doubled;
}
static inline __attribute__((always_inline)) int sum_twice(struct pair p)
{
    int first = twice(p.a);
    int second = twice(p.b);
    return first + second;
}
__attribute__((noinline)) int outer(int n)
{
    struct pair p = {n, n + 1};
    int result = sum_twice(p);
    result += twice(n);
    return result;
}
int main(void)
{
    int total = 0;
    for (int i = 0; i < 3; i++)
        total += outer(i);
    printf("%d\n", total);
    return 0;
}
