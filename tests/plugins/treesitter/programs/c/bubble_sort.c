#include <stdio.h>

static void swap(int *a, int *b) {
    int t = *a;
    *a = *b;
    *b = t;
}

void bubble_sort(int *values, int n) {
    int swapped = 1;
    while (swapped) {
        swapped = 0;
        for (int i = 1; i < n; i++) {
            if (values[i - 1] > values[i]) {
                swap(&values[i - 1], &values[i]);
                swapped = 1;
            }
        }
        n--;
    }
}

int main(void) {
    int values[] = {5, 3, 1, 4, 2};
    bubble_sort(values, 5);
    for (int i = 0; i < 5; i++) {
        printf("%d\n", values[i]);
    }
    return 0;
}
