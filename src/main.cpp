#include "app/cli.hpp"

int main(int argc, char** argv) {
  return ratusha::app::run_cli(argc, argv);
}
