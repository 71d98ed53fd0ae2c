#include "cli/app.h"

int main(int argc, char** argv) { return tryghed::cli::Main(argc, argv); }
