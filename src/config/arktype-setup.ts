// Imported before arktype itself: a CLI validates one small document per run, so arktype's interpreter (jitless) starts
// about 100 ms sooner than compiling its validators, and validation stays well under a millisecond.
import { configure } from "arktype/config";

configure({ jitless: true });
