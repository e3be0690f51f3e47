import {CloudWatchClient, DescribeAlarmsCommand} from '@aws-sdk/client-cloudwatch';
import http from 'node:http';
process.env.AWS_EC2_METADATA_DISABLED='true';
process.env.AWS_CONFIG_FILE='/tmp/h2/nope1'; process.env.AWS_SHARED_CREDENTIALS_FILE='/tmp/h2/nope2';
for (const k of ['AWS_ACCESS_KEY_ID','AWS_SECRET_ACCESS_KEY','AWS_PROFILE','AWS_SESSION_TOKEN']) delete process.env[k];
const show = (e) => console.log('ERR', e.name, e.code, e.message.slice(0,120), e.$metadata?.httpStatusCode);
let c = new CloudWatchClient({region:'us-east-1', endpoint:`http://127.0.0.1:1`, credentials:{accessKeyId:'A', secretAccessKey:'x'}, maxAttempts:1});
try { await c.send(new DescribeAlarmsCommand({})); } catch(e) { show(e); }
c = new CloudWatchClient({region:'us-east-1', endpoint:`http://127.0.0.1:1`, maxAttempts:1});
try { await c.send(new DescribeAlarmsCommand({})); } catch(e) { show(e); }
const srv = http.createServer(() => {}); await new Promise(r=>srv.listen(0,'127.0.0.1',r));
c = new CloudWatchClient({region:'us-east-1', endpoint:`http://127.0.0.1:${srv.address().port}`, credentials:{accessKeyId:'A', secretAccessKey:'x'}, maxAttempts:1, requestHandler:{requestTimeout:300, connectionTimeout:300}});
let t=Date.now(); try { await c.send(new DescribeAlarmsCommand({})); } catch(e) { show(e); } console.log(Date.now()-t);
t=Date.now(); try { await c.send(new DescribeAlarmsCommand({}), {abortSignal: AbortSignal.timeout(200)}); } catch(e) { show(e); } console.log(Date.now()-t);
c = new CloudWatchClient({endpoint:`http://127.0.0.1:1`, credentials:{accessKeyId:'A', secretAccessKey:'x'}, maxAttempts:1});
try { await c.send(new DescribeAlarmsCommand({})); } catch(e) { show(e); }
srv.closeAllConnections(); srv.close();
