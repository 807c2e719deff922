/**
 * The injected UI's one stylesheet, shared by every widget's shadow root. It copies the shape of
 * Azure DevOps' bolt controls and takes its colours from the site's own theme variables (they
 * reach into shadow roots), with light and dark fallbacks for pages that lack them.
 */
export const STYLES = `
:host{all:initial;display:inline-flex;vertical-align:middle;font-family:inherit;font-size:14px;line-height:20px;color:var(--adoc-fg);
--adoc-fg:var(--text-primary-color,rgba(0,0,0,.9));--adoc-fg2:var(--text-secondary-color,rgba(0,0,0,.55));
--adoc-bg:var(--callout-background-color,var(--background-color,#fff));--adoc-n:var(--palette-neutral-8,234,234,234);--adoc-n2:var(--palette-neutral-20,200,200,200);
--adoc-n1:var(--palette-neutral-4,244,244,244);--adoc-accent:var(--communication-background,rgb(0,120,212));--adoc-link:var(--communication-foreground,rgb(0,90,158));
--adoc-ok:var(--status-success-foreground,rgb(16,124,16));--adoc-bad:var(--status-error-foreground,rgb(205,74,69));--adoc-warn:var(--status-warning-foreground,rgb(214,127,60))}
:host(.adoc-dark){--adoc-fg:var(--text-primary-color,rgba(255,255,255,.87));--adoc-fg2:var(--text-secondary-color,rgba(255,255,255,.55));
--adoc-bg:var(--callout-background-color,var(--background-color,rgb(50,49,48)));--adoc-n:var(--palette-neutral-8,50,49,48);--adoc-n2:var(--palette-neutral-20,96,94,92);
--adoc-n1:var(--palette-neutral-4,41,40,39);--adoc-link:var(--communication-foreground,rgb(55,150,230));--adoc-ok:var(--status-success-foreground,rgb(84,176,84));
--adoc-bad:var(--status-error-foreground,rgb(241,112,123));--adoc-warn:var(--status-warning-foreground,rgb(236,170,94));color-scheme:dark}
:host(div){display:block}
*{box-sizing:border-box}
p,h2,h3,ul,dl{margin:0}
.adoc-button{font:inherit;font-weight:var(--adoc-b-weight,600);font-size:var(--adoc-b-size,inherit);border:0;border-radius:var(--adoc-b-radius,2px);padding:var(--adoc-b-pad,6px 12px);min-height:var(--adoc-b-height,32px);cursor:pointer;color:var(--adoc-fg);background:rgba(var(--adoc-n),1);display:inline-flex;align-items:center;gap:6px;white-space:nowrap;text-decoration:none}
.adoc-button:hover:not(:disabled){background:rgba(var(--adoc-n2),1)}
.adoc-panel .adoc-button:not(.primary),.adoc-card .adoc-button:not(.primary){background:rgba(var(--adoc-n2),.45)}
.adoc-panel .adoc-button:not(.primary):hover:not(:disabled),.adoc-card .adoc-button:not(.primary):hover:not(:disabled){background:rgba(var(--adoc-n2),.8)}
:host(.adoc-floating) .adoc-button:not(.primary){background:rgba(var(--adoc-n2),.45)}
.adoc-button.primary{background:var(--adoc-accent);color:#fff}
.adoc-button.primary:hover:not(:disabled){filter:brightness(1.1);background:var(--adoc-accent)}
.adoc-button.subtle{background:transparent}
.adoc-button.small{min-height:24px;padding:2px 8px;font-size:12px}
.adoc-button.adoc-wraps{white-space:normal;text-align:start;overflow-wrap:anywhere;max-width:100%}
.adoc-button:disabled,.adoc-panel .adoc-button:disabled,.adoc-card .adoc-button:disabled{color:var(--adoc-fg2);background:rgba(var(--adoc-n2),.3);cursor:default}
.adoc-button:focus-visible,.adoc-input:focus-visible,.adoc-link:focus-visible,[type=checkbox]:focus-visible,[tabindex="-1"]:focus-visible{outline:2px solid var(--adoc-link);outline-offset:1px}
[tabindex="-1"]:focus-visible{outline-offset:3px}
.adoc-icon{width:16px;height:16px;fill:none;stroke:currentColor;stroke-width:1.4;stroke-linecap:round;stroke-linejoin:round;flex:none}
.adoc-panel{background:var(--adoc-bg);color:var(--adoc-fg);border-radius:4px;box-shadow:0 6px 24px rgba(0,0,0,.3);padding:16px;width:440px;max-width:calc(100vw - 24px);max-height:70vh;overflow:auto;display:flex;flex-direction:column;gap:10px}
.adoc-card{container-type:inline-size;display:flex;flex-direction:column;gap:10px;width:100%;border:1px solid rgba(var(--adoc-n),1);border-radius:4px;padding:12px;background:var(--background-color,transparent)}
.adoc-title{font-weight:600;font-size:14px;margin:0}
.adoc-sub{font-weight:600;font-size:12px;color:var(--adoc-fg2);margin:4px 0 0}
.adoc-muted{color:var(--adoc-fg2);font-size:12px}
.adoc-col{display:flex;flex-direction:column;gap:6px}
.adoc-row{display:flex;align-items:center;gap:8px;min-width:0}
.adoc-grow{flex:1;min-width:0}
.adoc-fit{flex:1 1 auto;min-width:0}
.adoc-wrap{flex-wrap:wrap}
.adoc-ellipsis{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.adoc-mono{font-family:Consolas,"Cascadia Code",Menlo,monospace;font-size:12px;overflow-wrap:anywhere}
.adoc-field{flex:1 1 12em;min-width:0}
.adoc-input{font:inherit;color:var(--adoc-fg);background:var(--background-color,transparent);border:1px solid rgba(var(--adoc-n2),1);border-radius:2px;padding:4px 8px;min-height:30px;min-width:0}
.adoc-command{margin:0;padding:8px;white-space:pre-wrap;background:rgba(var(--adoc-n1),1);border:1px solid rgba(var(--adoc-n),1);border-radius:2px;color:var(--adoc-fg)}
.adoc-facts{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0}
.adoc-facts dt{color:var(--adoc-fg2)}.adoc-facts dd{margin:0;min-width:0}
.adoc-progress{height:4px;background:rgba(var(--adoc-n),1);border-radius:2px;overflow:hidden}
.adoc-progress>div{height:100%;background:var(--adoc-accent);transition:width .2s}
.adoc-alert{border-left:4px solid var(--adoc-bad);background:rgba(var(--adoc-n1),1);padding:6px 10px}
.adoc-good{color:var(--adoc-ok)}.adoc-bad{color:var(--adoc-bad)}.adoc-warn{color:var(--adoc-warn)}
.adoc-coin{width:24px;height:24px;border-radius:50%;color:#fff;display:inline-flex;align-items:center;justify-content:center;font-size:10px;font-weight:600;flex:none}
@container (max-width:240px){.adoc-coin{display:none}}
.adoc-list{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.adoc-list>li{display:flex;align-items:center;gap:8px;min-width:0}
.adoc-pill{font-size:11px;padding:0 6px;border-radius:8px;background:rgba(var(--adoc-n),1);color:var(--adoc-fg2);flex:none}
.adoc-link{color:var(--adoc-link);background:none;border:0;padding:0;font:inherit;cursor:pointer;text-decoration:underline}
.adoc-dock{position:fixed;right:16px;bottom:16px;z-index:2147483000;display:flex;flex-direction:column;align-items:flex-end;gap:6px;padding:8px;border-radius:6px;background:var(--adoc-bg);box-shadow:0 4px 16px rgba(0,0,0,.28)}
.adoc-dock .adoc-card{width:360px}
[role=status]:empty{display:none}
.adoc-steady{display:inline-grid}.adoc-steady>span{grid-area:1/1;text-align:center}
.adoc-sr,.adoc-compact .adoc-label{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.adoc-compact{padding:var(--adoc-b-pad-compact,6px 8px)}
:host(.adoc-beside){margin:0 8px;align-self:center;flex:none}
:host(.adoc-top){align-self:flex-start}
`;
