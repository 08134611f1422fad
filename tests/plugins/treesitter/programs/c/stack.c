#include <stdio.h>
#include <stdlib.h>

struct stack {
    int *items;
    int size;
    int capacity;
};

struct stack *stack_new(int capacity) {
    struct stack *s = malloc(sizeof(struct stack));
    s->items = malloc(sizeof(int) * capacity);
    s->size = 0;
    s->capacity = capacity;
    return s;
}

int stack_push(struct stack *s, int value) {
    if (s->size == s->capacity) {
        return 0;
    }
    s->items[s->size++] = value;
    return 1;
}

int stack_pop(struct stack *s) {
    s->size--;
    return s->items[s->size];
}

void stack_free(struct stack *s) {
    free(s->items);
    free(s);
}

int main(void) {
    struct stack *s = stack_new(4);
    stack_push(s, 1);
    stack_push(s, 2);
    printf("%d\n", stack_pop(s));
    stack_free(s);
    return 0;
}
