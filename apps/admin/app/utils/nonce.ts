/** The CSP nonce of the current document, for the inline scripts Remix renders (root.tsx). */
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
