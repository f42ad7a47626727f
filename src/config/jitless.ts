// Imported before arktype, so arktype interprets its validators instead of compiling them: that is about 120 ms less start-up
// (measured on the compiled binary), and the few small objects of a config file do not need compiled checks.
import { configure } from "arktype/config";

configure({ jitless: true });
