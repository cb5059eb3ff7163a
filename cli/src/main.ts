console.log("nnlab");
