/* gcc's IPA-SRA at -O2: deepen() and measure() are passed s->depth instead of s, and s's
   location becomes DW_OP_GNU_parameter_ref. For deepen the caller's call site says what
   s was (DW_AT_call_parameter, the global's address); for measure nothing does. */
#include <stdio.h>

struct state {
    int depth;
    int spare[8];
};

struct state shared = {3, {0}};

static __attribute__((noinline)) int deepen(struct state *s, int n)
{
    int twice = n * 2;
    return s->depth * twice + 1;
}

static __attribute__((noinline)) int measure(struct state *s, int n)
{
    return s->depth + n;
}

int main(int argc, char **argv)
{
    (void)argv;
    struct state *chosen = argc > 5 ? 0 : &shared;
    struct state local = {argc + 2, {0}};
    printf("%d %d\n", deepen(chosen, argc), measure(&local, argc));
    return 0;
}
