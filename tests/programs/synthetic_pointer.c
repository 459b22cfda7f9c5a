struct pair { int a, b; };
__attribute__((noinline)) void sink(int v) { __asm__ volatile("" : : "r"(v)); }
static inline void show(const struct pair *p)
{
    sink(p->a);
    sink(p->b);
}
__attribute__((noinline)) int use(int n)
{
    struct pair q = {n, n + 1};
    show(&q);
    return q.a;
}
int main(int argc, char **argv) { return use(argc) - 1; }
