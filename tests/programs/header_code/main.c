#include <stdio.h>
#include "square.h"

int main(void)
{
    int total = 0;
    for (int i = 1; i <= 3; i++) {
        total += square(i);
    }
    printf("%d\n", total);
    return 0;
}
