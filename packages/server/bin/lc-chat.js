#!/usr/bin/env node
// `lc-chat serve`: lc-chat's compiled CLI, with this package's dependencies installed beside it.
import 'lc-chat/cli';
