// Placeholder: the Configuration Window's script (replaced by the page).
"use strict";
