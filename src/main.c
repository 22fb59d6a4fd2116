#include <stdio.h>
int main(void) { puts("tellus: being built"); return 0; }
