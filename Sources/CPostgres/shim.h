// libpq from Debian's libpq-dev.
#include <postgresql/libpq-fe.h>
