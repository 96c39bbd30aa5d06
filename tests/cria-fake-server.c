#include "cria-fake-server.h"
