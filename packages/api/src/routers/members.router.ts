/** The organization's memberships: who may sign in, in which role and clinic scope. */
import {
  ListMembersInputSchema,
  LoginStatusInputSchema,
  LoginStatusSchema,
  MemberByIdInputSchema,
  MemberSchema,
  UpdateMemberInputSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  deactivateMember,
  listMembers,
  loginStatusOf,
  reactivateMember,
  updateMember,
} from "../services/members.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const membersRouter = router({
  list: authedProcedure
    .input(ListMembersInputSchema)
    .output(z.array(MemberSchema))
    .query(({ ctx, input }) => listMembers(ctx, input)),
  /** Admins: another member's role, clinic scope and practitioner link. */
  update: authedProcedure
    .input(UpdateMemberInputSchema)
    .output(MemberSchema)
    .mutation(({ ctx, input }) => updateMember(ctx, input)),
  /** Admins; managers for practitioners' logins. Ends the membership's sessions at once. */
  deactivate: authedProcedure
    .input(MemberByIdInputSchema)
    .output(MemberSchema)
    .mutation(({ ctx, input }) => deactivateMember(ctx, input)),
  reactivate: authedProcedure
    .input(MemberByIdInputSchema)
    .output(MemberSchema)
    .mutation(({ ctx, input }) => reactivateMember(ctx, input)),
  /** Whoever may read the practitioner: none, invited, active or deactivated. */
  loginStatus: authedProcedure
    .input(LoginStatusInputSchema)
    .output(LoginStatusSchema)
    .query(({ ctx, input }) => loginStatusOf(ctx, input)),
});
