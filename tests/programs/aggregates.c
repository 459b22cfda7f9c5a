/* Aggregates for print against gdb: 2-D arrays, arrays of strings, a flexible array, an
   anonymous union, function pointers in structs, long doubles, a static local. */
#include <stdbool.h>
#include <stddef.h>
typedef int (*binop)(int, int);
static int add(int a, int b) { return a + b; }
struct ops { binop f; const char *name; };
struct rec { int grid[2][3]; char *names[3]; bool flags[4]; long double ld; union { struct { short lo, hi; } parts; int whole; } u; struct ops op; enum { NEG = -5, POS = 5 } sign; void *vp; const char **pp; unsigned char bytes[3]; double dz[0]; };
static int counter = 3;
const char *words[] = {"alpha", "beta", NULL};
int grid_global[3][2] = {{1, 2}, {3, 4}, {5, 6}};
char big[300];
int main(void) {
    static int calls = 7;
    struct rec r = {{{1, 2, 3}, {4, 5, 6}}, {"x", "yy", NULL}, {true, false, true, true}, 1.25L, {{-1, 2}}, {add, "add"}, NEG, &counter, words, {255, 0, 127}};
    struct rec *rp = &r;
    char *s = "tab\there";
    char esc[5] = "\x01\x02\xff";
    float nanf = 0.0f / 0.0f;
    double negz = -0.0, inf = 1.0 / 0.0;
    long double lda[2] = {3.0L, -1e100L};
    counter += calls;
    return r.grid[1][2] + rp->u.whole + s[0] + esc[0] + (int)nanf + (int)negz + (int)inf + (int)lda[0];
}
