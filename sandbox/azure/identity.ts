// Azure AD as the clients reach it: the ADFS-style authority az 2.45 needs (no instance discovery), the
// `/{tenant}/v2.0` authority @azure/identity uses, the ARM metadata document, and the subscription az logs in to.
import { ArmError, CLIENT_ID, CLIENT_SECRET, SUBSCRIPTION_ID, TENANT_ID, type Reply, type Route } from "./arm.ts";

const TOKEN_PREFIX = "sandbox-arm.";

/** A token ARM accepts: opaque to clients, self-describing so it survives a sandbox restart. */
function issueToken(scope: string): string {
  const claims = { appid: CLIENT_ID, tid: TENANT_ID, scope, exp: Math.floor(Date.now() / 1000) + 3600 };
  return TOKEN_PREFIX + Buffer.from(JSON.stringify(claims)).toString("base64url");
}

export function validToken(authorization: string | null): boolean {
  const token = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1];
  if (!token?.startsWith(TOKEN_PREFIX)) return false;
  try {
    const claims = JSON.parse(Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString());
    return claims.exp * 1000 > Date.now();
  } catch {
    return false;
  }
}

/** The client-credentials grant: the sandbox's one service principal, any scope (clients ask for different audiences). */
function token(form: URLSearchParams): Reply {
  if (form.get("grant_type") !== "client_credentials") {
    return { status: 400, body: { error: "unsupported_grant_type", error_description: "AADSTS70003: The sandbox supports client_credentials only." } };
  }
  if (form.get("client_id") !== CLIENT_ID || form.get("client_secret") !== CLIENT_SECRET) {
    return { status: 401, body: { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." } };
  }
  return { status: 200, body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: issueToken(form.get("scope") ?? "") } };
}

function openid(base: string, authority: string, tokenPath: string): Reply {
  return {
    status: 200,
    body: {
      issuer: `${base}${authority}`,
      token_endpoint: `${base}${tokenPath}`,
      authorization_endpoint: `${base}${tokenPath.replace(/token$/, "authorize")}`,
      jwks_uri: `${base}${authority}/discovery/keys`,
      response_types_supported: ["code", "token"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      tenant_region_scope: "NA",
    },
  };
}

const subscription = { id: `/subscriptions/${SUBSCRIPTION_ID}`, subscriptionId: SUBSCRIPTION_ID, tenantId: TENANT_ID, displayName: "NIC Sandbox", state: "Enabled",
  subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" }, authorizationSource: "RoleBased" };

/** The regions az resolves display names against ("Central US" → centralus). */
const REGIONS = ["Central US", "East US", "East US 2", "West US", "West US 2", "West US 3", "North Central US", "South Central US", "West Central US",
  "Canada Central", "Brazil South", "North Europe", "West Europe", "UK South", "France Central", "Germany West Central", "Sweden Central",
  "Switzerland North", "Norway East", "Australia East", "Southeast Asia", "East Asia", "Japan East", "Korea Central", "Central India", "South Africa North"];

/** The form body of a token request (the router parses JSON only). */
export const FORM_ROUTES = new Set(["Adfs_Token", "V2_Token"]);

export function identityRoutes(): Route[] {
  const aad = (method: string, path: string, action: string, handle: Route["handle"]): Route => ({ method, path, service: "aad", action, handle });
  return [
    aad("GET", "/adfs/.well-known/openid-configuration", "Adfs_OpenidConfiguration", (r) => openid(r.base, "/adfs", "/adfs/oauth2/token")),
    aad("POST", "/adfs/oauth2/token", "Adfs_Token", (r) => token(r.body)),
    aad("GET", "/{tenant}/v2.0/.well-known/openid-configuration", "V2_OpenidConfiguration", (r) => openid(r.base, `/${r.params.tenant}/v2.0`, `/${r.params.tenant}/oauth2/v2.0/token`)),
    aad("POST", "/{tenant}/oauth2/v2.0/token", "V2_Token", (r) => token(r.body)),
    aad("GET", "/metadata/endpoints", "Metadata_Endpoints", (r) => ({
      status: 200,
      body: {
        galleryEndpoint: `${r.base}/`,
        graphEndpoint: `${r.base}/graph/`,
        portalEndpoint: `${r.base}/portal/`,
        authentication: { loginEndpoint: `${r.base}/adfs`, audiences: ["https://management.core.windows.net/", `${r.base}/`] },
      },
    })),
    { method: "GET", path: "/subscriptions", service: "resources", action: "Subscriptions_List", handle: () => ({ status: 200, body: { value: [subscription] } }) },
    { method: "GET", path: "/subscriptions/{sub}/locations", service: "resources", action: "Subscriptions_ListLocations", handle: () => ({
      status: 200,
      body: { value: REGIONS.map((displayName) => {
        const name = displayName.toLowerCase().replaceAll(" ", "");
        return { id: `/subscriptions/${SUBSCRIPTION_ID}/locations/${name}`, name, displayName, regionalDisplayName: `(US) ${displayName}`, metadata: { regionType: "Physical" } };
      }) },
    }) },
    { method: "GET", path: "/subscriptions/{sub}", service: "resources", action: "Subscriptions_Get", handle: (r) => {
      if (r.params.sub!.toLowerCase() !== SUBSCRIPTION_ID) throw new ArmError("SubscriptionNotFound", `The subscription '${r.params.sub}' could not be found.`, 404);
      return { status: 200, body: subscription };
    } },
  ];
}
