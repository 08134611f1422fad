#include <stdio.h>

#define N 3

typedef struct {
    double cells[N][N];
} matrix;

matrix multiply(const matrix *a, const matrix *b) {
    matrix out;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            double sum = 0.0;
            for (int k = 0; k < N; k++) {
                sum += a->cells[i][k] * b->cells[k][j];
            }
            out.cells[i][j] = sum;
        }
    }
    return out;
}

void print_matrix(const matrix *m) {
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            printf("%6.2f ", m->cells[i][j]);
        }
        printf("\n");
    }
}
