/* C expressions, assignment, ptype/whatis and calls into the program, against gdb:
   structs, unions, enums, typedefs, arrays, function pointers, functions by the System V
   ABI (integer, pointer, double, small-struct arguments and returns), a void function, one
   that crashes and one with a breakpoint in it. */
#include <stdlib.h>
#include <string.h>

typedef unsigned long ulong_t;
typedef struct node { int value; struct node *next; } node_t;
typedef int (*binop)(int, int);
union word { int whole; unsigned char bytes[4]; };
enum colour { RED, GREEN = 4, BLUE };
struct pair { long a; long b; };
struct mixed { int i; double d; };

node_t third = {3, 0};
node_t second = {2, &third};
node_t first = {1, &second};
int numbers[5] = {10, 20, 30, 40, 50};
double ratio = 2.5;
char letter = 'q';
const char *greeting = "hello, world";
union word word = {0x01020304};
enum colour colour = GREEN;
ulong_t big = 1UL << 40;
int counter;
int global = 5;

int add(int a, int b) { return a + b; }
static int twice(int x) { return 2 * x; }
binop operation = add;
double scale(double x, int factor) { return x * factor; }
long length(const char *s) { return (long)strlen(s); }
struct pair swap(struct pair p) { struct pair q = {p.b, p.a}; return q; }
struct mixed mix(int i, double d) { struct mixed m = {i, d}; return m; }
int sum_list(node_t *n) { int total = 0; for (; n; n = n->next) total += n->value; return total; }
void bump(void) { counter++; }
int crash(int *p) { return *p; }
int stopper(int x) { return x + 1; }

int compute(int argc, char **argv) {
    static int calls = 7;
    int local = argc + 41;
    double half = local / 2.0;
    node_t *list = &first;
    char name[8] = "deet";
    calls++;
    return local + (int)half + list->value + name[0] + (argv != 0) + twice(1);
}

int main(int argc, char **argv) {
    int result = compute(argc, argv);
    bump();
    return result + abs(-3) + sum_list(&first) + (int)scale(ratio, 2) + (int)length(greeting)
           + swap((struct pair){1, 2}).a + mix(1, 2.0).i + operation(1, 2) + stopper(0)
           + (int)word.whole + colour + (int)big + letter + numbers[0] + (argc > 5 ? crash(0) : 0);
}

/* For calls: arguments and returns in memory, on the stack, in %xmm and %st0. */
struct triple { long a, b, c; };
struct fpair { float x; float y; };
struct triple make_triple(long x) { struct triple t = {x, 2 * x, 3 * x}; return t; }
long sum_triple(struct triple t) { return t.a + t.b + t.c; }
long many(int a, int b, int c, int d, int e, int f, int g, int h) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}
double many_doubles(double a, double b, double c, double d, double e, double f, double g,
                    double h, double i, double j) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j;
}
float halve(float x) { return x / 2; }
long double ld_twice(long double x) { return x * 2; }
char next_char(char c) { return c + 1; }
struct fpair fswap(struct fpair p) { struct fpair q = {p.y, p.x}; return q; }
long mixed_args(int a, double b, struct pair p, long double c, struct triple t, char d) {
    return a + (long)b + p.a + p.b + (long)c + t.a + t.b + t.c + d;
}
