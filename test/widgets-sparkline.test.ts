import {test} from 'vitest';
import {lineChart, blockSparkline} from '../widgets/sparkline.js';
test('x', () => {
console.log(lineChart([400,420,NaN,480,500,650,700,NaN,NaN,620,610,590],{width:30,height:4,label:(v)=>String(Math.round(v))}).join('|\n'));
console.log(lineChart([400,400,400],{width:30,height:4,label:(v)=>String(Math.round(v))}).join('|\n'));
console.log(lineChart([NaN],{width:30,height:2,label:(v)=>String(Math.round(v))}).join('|\n'));
console.log(blockSparkline([1,2,3,NaN,5,8,2],10));
});
