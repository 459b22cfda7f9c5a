/* Locals in nested blocks, as students write them (C99 declarations in loops and
 * braces): gdb lists a nested block's variables in its hash table's order, not in the
 * order they are declared; a type, an enum's constants and a label declared in a block
 * are symbols of that table too. */
#include <stdio.h>

int main(void)
{
    int total = 0;
    for (int i = 0; i < 2; i++) {
        int alpha = i, beta = i * 2, gamma = i * 3, delta = 4, epsilon = 5;
        total += alpha + beta + gamma + delta + epsilon;
        {
            typedef int counter;
            enum colour { RED, GREEN, BLUE };
            counter apples = 1, pears = 2, plums = 3, cherries = 4, dates = 5, figs = 6;
            enum colour shade = GREEN;
            total += apples + pears + plums + cherries + dates + figs + (int)shade;
            if (total > 1000) {
                goto done;
            }
        }
    }
done:
    printf("%d\n", total);
    return 0;
}
