import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";

// The console's CSP allows no eval: in the browser zod must not compile parsers with it, nor probe for it
// (a probe, though caught, is reported as a CSP violation). Set here, where every form's zod comes in,
// before the first parse.
z.config({ jitless: true });

export { zodResolver };
