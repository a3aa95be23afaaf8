import { vitestPreset } from "@dn/vitest-config";

export default vitestPreset;
